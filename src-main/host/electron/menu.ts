/**
 * The application menu, built from Electron's standard roles so each platform gets its own
 * labels and shortcuts (macOS: the app menu with About/Hide/Quit ⌘Q, Close ⌘W, Minimize ⌘M;
 * Windows/Linux: File → Exit, Help → About; everywhere: Undo/Redo/Cut/Copy/Paste/Select All,
 * zoom, full screen). A template only (type-only Electron import); `host/electron.ts` hands it
 * to `Menu.buildFromTemplate`.
 */
import type { MenuItemConstructorOptions } from 'electron'

export interface MenuOptions {
  readonly platform: NodeJS.Platform
  readonly appName: string
  /** Show View → Toggle Developer Tools (development builds only). */
  readonly devTools: boolean
  /** "Open Image…" (⌘O / Ctrl+O). */
  readonly onOpenImage?: () => void
}

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin'
  const file: MenuItemConstructorOptions[] = []
  if (options.onOpenImage !== undefined) {
    const open = options.onOpenImage
    file.push({ id: 'open-image', label: 'Open Image…', accelerator: 'CmdOrCtrl+O', click: () => open() }, { type: 'separator' })
  }
  file.push(mac ? { role: 'close' } : { role: 'quit' })

  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    { role: 'forceReload' },
    ...(options.devTools ? [{ role: 'toggleDevTools' } satisfies MenuItemConstructorOptions] : []),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' }
  ]

  const template: MenuItemConstructorOptions[] = []
  if (mac) template.push({ role: 'appMenu' })
  template.push({ role: 'fileMenu', submenu: file }, { role: 'editMenu' }, { role: 'viewMenu', submenu: view }, { role: 'windowMenu' })
  // macOS has About in the app menu.
  if (!mac) template.push({ role: 'help', submenu: [{ role: 'about', label: `About ${options.appName}` }] })
  return template
}
