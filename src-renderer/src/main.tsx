import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import './fonts.css'
import './styles.css'

/** The bundled CJK face (fonts.css), loaded once the UI is up so Chinese that appears later never shows as boxes. */
const CJK_UI_FAMILY = 'Noto Sans SC Studio'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>
)

void document.fonts.load(`14px "${CJK_UI_FAMILY}"`, '图片样式')
