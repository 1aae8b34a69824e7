// Another backups folder, in the desktop app: its own dialog picks the folder (the page names no
// path), then Settings and the Backups dialog are asked again.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { keys } from '../hooks/queries'
import { answer, desktopBridge } from './desktopBridge'

export function useChooseBackupsFolder() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: async () => {
      const desktop = desktopBridge()
      if (!desktop) return { folder: null }
      return answer(desktop.chooseBackupsFolder())
    },
    onSuccess: ({ folder }) =>
      folder === null
        ? undefined
        : Promise.all([
            client.invalidateQueries({ queryKey: keys.libraryInfo }),
            client.invalidateQueries({ queryKey: keys.settings }),
            client.invalidateQueries({ queryKey: keys.backups }),
          ]),
  })
}
