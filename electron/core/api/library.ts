// The library as a whole: whether it opened, and the ways out when its files are damaged.
import type { Handlers } from './context'

export const libraryHandlers: Handlers<'libraryStatus' | 'recover'> = {
  libraryStatus: ({ session }) => session.status(),
  recover: ({ session }, r) => session.recover(r),
}
