/**
 * Text to the system clipboard. In Electron, main's clipboard (`clipboard:write`): it works without
 * focus or a permission prompt. In browser mode (or if main refuses), `navigator.clipboard`, and
 * where that is denied (an unfocused page, no permission) a selection copy.
 */
import { invoke } from '../ipc/client'
import { useStudio } from '../state/store'

export async function copyText(text: string): Promise<boolean> {
  if (useStudio.getState().info?.mode === 'electron') {
    try {
      await invoke('clipboard:write', { text })
      return true
    } catch {
      // Fall through to the browser clipboard.
    }
  }
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    const area = document.createElement('textarea')
    area.value = text
    area.setAttribute('readonly', '')
    area.style.position = 'fixed'
    area.style.opacity = '0'
    document.body.append(area)
    area.select()
    const ok = document.execCommand('copy')
    area.remove()
    return ok
  }
}
