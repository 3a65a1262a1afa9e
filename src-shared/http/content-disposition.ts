/**
 * A Content-Disposition value that is valid ASCII for any file name: an ASCII fallback plus the
 * RFC 5987 `filename*` with the UTF-8 name. Shared: main signs it into `response-content-disposition`,
 * the renderer builds it from the file name a user types.
 */
export function contentDisposition(fileName: string, type: 'inline' | 'attachment' = 'attachment'): string {
  const fallback = fileName.replace(/[^\x20-\x7E]/g, '_').replace(/["\\]/g, '_')
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`
}
