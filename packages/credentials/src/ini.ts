/**
 * Parses the INI profile file of the official SDKs (`~/.tencentcloud/credentials`): `[section]`
 * headers, `key = value` lines, `;` and `#` comment lines. Keys and values are trimmed; later
 * duplicates win. Lines outside any section are ignored.
 */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let section: Map<string, string> | undefined;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      const name = header[1] ?? '';
      section = sections.get(name) ?? new Map<string, string>();
      sections.set(name, section);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0 || section === undefined) continue;
    section.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return sections;
}
