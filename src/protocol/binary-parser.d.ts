// binary-parser's "import" export condition ships no types; its CommonJS
// declarations describe the same API.
declare module 'binary-parser' {
  export * from 'binary-parser/dist/binary_parser.js';
}
