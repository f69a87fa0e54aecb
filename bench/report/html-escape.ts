/**
 * Escaping for the HTML report. Every string that comes from a results file (adapter names, labels,
 * scenario names, config values, error messages) can hold arbitrary text, so it goes through
 * `escapeHtml` before it reaches the document: in element text, in quoted attribute values, and in
 * inline SVG (parsed by the same HTML parser).
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in element text and in single- or double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

/**
 * The small Markdown subset the shared report prose uses (`**bold**`, `*italics*`), as HTML. The text
 * is escaped first, so only the tags added here are markup.
 */
export function inlineMarkdown(text: string): string {
  return escapeHtml(text)
    .replace(/\*\*([\s\S]+?)\*\*/g, '<strong>$1</strong>')
    .replace(/\*([^*\s][^*]*?)\*/g, '<em>$1</em>');
}

/** Pretty-printed JSON, escaped for a `<pre>` block. */
export function jsonHtml(value: unknown): string {
  return escapeHtml(JSON.stringify(value, null, 2) ?? 'null');
}
