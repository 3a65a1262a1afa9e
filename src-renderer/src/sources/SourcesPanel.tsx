/** Images added from this computer (placeholder until the sources panel lands). */
export function SourcesPanel() {
  return null
}
