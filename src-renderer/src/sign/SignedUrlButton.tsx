/** "Copy signed URL" (placeholder until the signed-URL panel lands). */
export function SignedUrlButton() {
  return null
}
