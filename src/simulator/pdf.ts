export interface PdfLine {
  readonly text: string;
  /** Font size in points. Default 11. */
  readonly size?: number;
}

/** PDF string literal: only ASCII is written, and the three characters with a meaning escaped. */
function literal(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return `(${ascii.replace(/[\\()]/g, (character) => `\\${character}`)})`;
}

function content(lines: readonly PdfLine[]): string {
  const operators = ['BT', '72 740 Td'];
  let previousSize: number | undefined;
  for (const [index, line] of lines.entries()) {
    const size = line.size ?? 11;
    if (index > 0) operators.push(`0 -${Math.round(size * 1.6)} Td`);
    if (size !== previousSize) operators.push(`/F1 ${size} Tf`);
    previousSize = size;
    operators.push(`${literal(line.text)} Tj`);
  }
  operators.push('ET');
  return operators.join('\n');
}

/**
 * A one-page PDF 1.4 of text lines in Helvetica: catalog, page tree, page, font, content stream and
 * an info dictionary, with an xref table of exact byte offsets. The same lines give the same bytes.
 */
export function textPdf(title: string, lines: readonly PdfLine[]): Buffer {
  const stream = content(lines);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    `<< /Title ${literal(title)} /Producer (Flinks simulator) >>`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const [index, body] of objects.entries()) {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  }
  const xrefAt = Buffer.byteLength(pdf, 'latin1');
  // Each xref entry is exactly 20 bytes: ten digits, space, five digits, space, n or f, space, LF.
  const entries = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`);
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries.join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\n`;
  pdf += `startxref\n${xrefAt}\n%%EOF`;
  return Buffer.from(pdf, 'latin1');
}
