/**
 * The x-oss-process box now lives with the pipeline editor (editor/ProcessStringBox.tsx: canonical
 * rewrite, error-span highlight, Copy button, presets). Kept here so existing imports still work.
 */
export { PRESETS, ProcessStringBox as ProcessBox } from '../editor/ProcessStringBox'
