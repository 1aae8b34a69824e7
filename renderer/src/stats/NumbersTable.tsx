import styles from './NumbersTable.module.css'

interface Props {
  caption: string
  columns: readonly string[]
  /** The first cell of each row names it (a row header). */
  rows: readonly (readonly (string | number)[])[]
}

const numbers = new Intl.NumberFormat()

/** A chart's numbers as a table, for screen readers (the canvas itself is hidden from them). */
export function NumbersTable({ caption, columns, rows }: Props) {
  return (
    <table className={styles.hidden}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, ...cells]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            {cells.map((cell, i) => (
              <td key={i}>{typeof cell === 'number' ? numbers.format(cell) : cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}
