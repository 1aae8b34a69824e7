// The colour theme, applied at once and kept for this computer (see theme/ThemeStore.ts). The
// desktop app's View › Theme menu chooses through the same store, under the same names.
import { useId } from 'react'
import { THEME_LABELS as LABELS } from '../../../shared/desktop'
import { THEME_CHOICES } from '../theme/ThemeStore'
import { useTheme } from '../theme/useTheme'
import { SettingsSection } from './SettingsSection'
import styles from './SettingsDialog.module.css'

export function AppearanceSection() {
  const { chosen, theme, choose } = useTheme()
  const name = useId()
  return (
    <SettingsSection title="Appearance">
      <fieldset className={styles.choices}>
        <legend className={styles.legend}>Theme</legend>
        {THEME_CHOICES.map((choice) => (
          <label key={choice} className={styles.choice}>
            <input
              type="radio"
              name={name}
              value={choice}
              checked={chosen === choice}
              onChange={() => choose(choice)}
            />
            {LABELS[choice]}
          </label>
        ))}
      </fieldset>
      <p className={styles.help}>
        {chosen === 'system'
          ? `System follows your computer’s light or dark setting (${theme} now).`
          : `${LABELS[chosen]} whatever your computer’s setting.`}{' '}
        Kept on this computer only, not in the library.
      </p>
    </SettingsSection>
  )
}
