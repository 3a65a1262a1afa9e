/**
 * `clipboard:write` — Electron's clipboard, injected by the Electron host. Browser mode has no
 * main-side clipboard: the channel answers NotSupported and the renderer uses navigator.clipboard.
 */
import type { Handlers } from '../../ipc/router'
import type { AppContext } from '../context'
import { AppError } from '../errors'

export function clipboardHandlers(ctx: AppContext): Pick<Handlers, 'clipboard:write'> {
  return {
    'clipboard:write': async ({ text }) => {
      if (ctx.mode === 'web' || !ctx.clipboard) {
        throw new AppError('NotSupported', 'clipboard:write: this host has no clipboard in the main process; use the browser clipboard (navigator.clipboard)')
      }
      await ctx.clipboard(text)
      return {}
    }
  }
}
