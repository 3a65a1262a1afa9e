/**
 * Electron entry. The only main-process file besides host/ and preload/ that may import
 * 'electron'; everything it shows comes from the engine and services through the IPC contract.
 */
import { join } from 'node:path'
import { app, BrowserWindow } from 'electron'

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'OSS IMG Studio',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.mjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false
    }
  })
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  void window.loadFile(join(import.meta.dirname, '../renderer/index.html'))
}

app.whenReady().then(createWindow, (error: unknown) => {
  console.error(error)
  app.exit(1)
})
app.on('window-all-closed', () => app.quit())
