/** `app:*` — what the renderer needs to know about the host. */
import type { Handlers } from '../../ipc/router'
import type { AppContext } from '../context'

export function appHandlers(ctx: AppContext): Pick<Handlers, 'app:info'> {
  return {
    'app:info': () => ({ version: ctx.version, mode: ctx.mode, dataDir: ctx.dataDir, secretProtection: ctx.secretProtection })
  }
}
