/**
 * A small Markdown-to-HTML converter for what gem-snn displays (pipe tables, headings, paragraphs,
 * lists, **bold**, *italic*, `code`), so markdown outputs also carry text/html: an untrusted notebook
 * then still shows a table instead of raw `| a | b |` text. Not a general Markdown implementation.
 */

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Inline markup of one line: code spans are set aside first (their content is literal), then bold and
 * italic are applied to the whole line, so a bold span may hold a code span (`**profile `small`**`).
 */
export function inlineMarkdown(text: string): string {
  const codes: string[] = [];
  const held = text.replace(/`([^`]*)`/g, (_m, c: string) => `\u0000${codes.push(`<code>${escapeHtml(c)}</code>`) - 1}\u0000`);
  return escapeHtml(held)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*\w])\*([^*\s][^*]*)\*(?![*\w])/g, '$1<em>$2</em>')
    .replace(/\u0000(\d+)\u0000/g, (_m, i: string) => codes[Number(i)]);
}

/** Cells of a pipe-table row (`| a | b \| c |` -> ['a', 'b | c']). */
function tableCells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

const isTableLine = (l: string): boolean => /^\s*\|.*\|\s*$/.test(l);
const isSeparator = (l: string): boolean => /^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$/.test(l);

function tableHtml(lines: string[]): string {
  const head = tableCells(lines[0]);
  const body = lines.slice(2).map(tableCells);
  const cell = (tag: string, c: string): string => `<${tag} style="text-align:left;padding:2px 8px">${inlineMarkdown(c)}</${tag}>`;
  return [
    '<table style="border-collapse:collapse">',
    `<thead><tr style="border-bottom:1px solid #888">${head.map((c) => cell('th', c)).join('')}</tr></thead>`,
    '<tbody>',
    ...body.map((r) => `<tr>${r.map((c) => cell('td', c)).join('')}</tr>`),
    '</tbody>',
    '</table>',
  ].join('\n');
}

/** HTML for `md`: blocks separated by blank lines; a pipe table needs its `| --- |` separator line. */
export function markdownToHtml(md: string): string {
  const lines = md.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  let para: string[] = [];
  const flush = (): void => {
    if (para.length) out.push(`<p>${para.map(inlineMarkdown).join('<br>\n')}</p>`);
    para = [];
  };
  for (let i = 0; i < lines.length; ) {
    const line = lines[i];
    if (isTableLine(line) && i + 1 < lines.length && isSeparator(lines[i + 1])) {
      flush();
      let j = i + 2;
      while (j < lines.length && isTableLine(lines[j])) j++;
      out.push(tableHtml(lines.slice(i, j)));
      i = j;
      continue;
    }
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) {
      flush();
      out.push(`<h${h[1].length}>${inlineMarkdown(h[2])}</h${h[1].length}>`);
    } else if (/^\s*[-*]\s+/.test(line)) {
      flush();
      const items: string[] = [];
      while (i < lines.length && /^\s*[-*]\s+/.test(lines[i])) items.push(`<li>${inlineMarkdown(lines[i++].replace(/^\s*[-*]\s+/, ''))}</li>`);
      out.push(`<ul>\n${items.join('\n')}\n</ul>`);
      continue;
    } else if (line.trim() === '') {
      flush();
    } else {
      para.push(line);
    }
    i++;
  }
  flush();
  return out.join('\n');
}
