/** The byte-budget result written into the style: its format and quality steps replaced by `format,F/quality,Q_n`. */
import type { QualityFormat } from '../../../src-shared/model/budget'
import { createItem, type EditorDoc } from '../editor/model'

export function withBudget(doc: EditorDoc, format: QualityFormat, Q: number): EditorDoc {
  const kept = doc.items.filter((item) => item.action !== 'format' && item.action !== 'quality')
  return { ...doc, items: [...kept, createItem('format', { value: format }), createItem('quality', { Q })] }
}
