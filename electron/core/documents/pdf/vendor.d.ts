// The little of fontkit and linebreak (both dependencies of pdfkit) that the typesetter uses; neither ships types.
declare module 'fontkit' {
  export interface Font {
    postscriptName: string;
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(data: Buffer): Font | { fonts: Font[] };
}

declare module 'linebreak' {
  interface Break {
    position: number;
    required: boolean;
  }
  class LineBreaker {
    constructor(text: string);
    nextBreak(): Break | null;
  }
  export = LineBreaker;
}
