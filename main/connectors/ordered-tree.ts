// fast-xml-parser's preserveOrder output as element trees, for the TelServices and TWS codecs.
// Iterative, so that a deeply nested document cannot exhaust the stack; each codec makes its own node.
import { unescapeXml } from './xml-text.js';

type Ordered = Record<string, unknown>;

export interface TreeNode<N> {
  children: N[];
  /** Concatenated, trimmed text content: entities decoded, CDATA kept literal. */
  text: string;
}

/** The elements of items; makeNode makes one from its tag and its raw attributes (fast-xml-parser's ':@'). */
export function orderedToTree<N extends TreeNode<N>>(items: unknown[], makeNode: (tag: string, attrs: unknown) => N): N[] {
  const roots: N[] = [];
  const stack: Array<{ items: unknown[]; into: N[]; owner: N | null }> = [{ items, into: roots, owner: null }];
  while (stack.length > 0) {
    const frame = stack.pop() as { items: unknown[]; into: N[]; owner: N | null };
    const texts: string[] = [];
    for (const item of frame.items) {
      if (item === null || typeof item !== 'object') continue;
      const rec = item as Ordered;
      for (const [key, value] of Object.entries(rec)) {
        if (key === ':@') continue;
        if (key === '#text') texts.push(unescapeXml(String(value)));
        else if (key === '#cdata') {
          for (const part of Array.isArray(value) ? value : []) {
            const t = (part as Ordered)['#text'];
            if (t !== undefined) texts.push(String(t));
          }
        } else {
          const node = makeNode(key, rec[':@']);
          frame.into.push(node);
          stack.push({ items: Array.isArray(value) ? value : [], into: node.children, owner: node });
        }
      }
    }
    if (frame.owner) frame.owner.text = texts.join('').trim();
  }
  return roots;
}
