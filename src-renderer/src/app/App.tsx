import { useState } from 'react'
import { parseProcess, serializeProcess } from '../../../src-shared/img/process'
import { isImgError } from '../../../src-shared/img/errors'

/**
 * The first renderer screen: the shared IMG language running in the browser. The editor,
 * preview and jobs screens build on it (they need the IPC contract of the app shell).
 */
export function App() {
  const [text, setText] = useState('image/resize,m_fixed,w_100,h_100/rotate,90')
  let verdict: string
  try {
    verdict = `Canonical: ${serializeProcess(parseProcess(text))}`
  } catch (error) {
    verdict = isImgError(error) ? `${error.status} ${error.code}${error.ec ? ` (EC ${error.ec})` : ''}: ${error.message}` : String(error)
  }
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 24, maxWidth: 880 }}>
      <h1>OSS IMG Studio</h1>
      <label htmlFor="process">x-oss-process</label>
      <input id="process" value={text} onChange={(e) => setText(e.target.value)} style={{ display: 'block', width: '100%', fontFamily: 'monospace', padding: 8 }} />
      <p role="status">{verdict}</p>
    </main>
  )
}
