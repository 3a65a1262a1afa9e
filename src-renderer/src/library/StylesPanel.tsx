/** The style library (placeholder until the library panel lands). */
export function StylesPanel() {
  return null
}

/** "Save style": saves the current process string as a named style. */
export function SaveStyleButton() {
  return null
}
