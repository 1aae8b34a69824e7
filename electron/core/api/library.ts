// The library as a whole: whether it opened, and the ways out when its files are damaged.
import type { Handlers } from './context'
import { cancelJobs } from './jobs'

export const libraryHandlers: Handlers<
  'libraryStatus' | 'recover' | 'getSettings' | 'updateSettings'
> = {
  libraryStatus: ({ session }) => session.status(),
  getSettings: ({ session }) => session.get().settings(),
  updateSettings: ({ session }, r) => session.get().updateSettings(r),
  // An import under way is cancelled (taken back) before the library is replaced.
  recover: async ({ session }, r) => {
    await cancelJobs(session)
    return session.recover(r)
  },
}
