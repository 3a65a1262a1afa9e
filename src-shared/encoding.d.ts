// The WHATWG Encoding API exists in every runtime this code runs in (Node, Chromium, Electron);
// declared here because src-shared compiles without the DOM and Node typings on purpose.
declare class TextEncoder {
  encode(input?: string): Uint8Array
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean })
  decode(input?: Uint8Array): string
}
