// @ts-check
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** @type {string[]} */
const WORKSPACES = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')).workspaces;

/** The workspace a path lies in, or '' for the repository's own files (bench/, scripts/, configs); null outside the repository. */
function owner(path) {
  const rel = relative(ROOT, path);
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  return WORKSPACES.find((w) => rel === w || rel.startsWith(w + sep)) ?? '';
}

const name = (ws) => (ws === '' ? 'the repository root' : `${ws}/`);

/**
 * A relative or absolute import that lands in another workspace bypasses that package's `exports`
 * (its public surface) and hides the dependency from package.json. Unlike a path pattern, this
 * resolves the specifier, so it catches `../../edge/src/x.ts` at any depth and never flags a
 * package's own folder that happens to share a name with another package.
 * @type {import('eslint').Rule.RuleModule}
 */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid relative or absolute imports into another workspace package; import it by name.' },
    schema: [],
    messages: {
      crossPackage: '"{{specifier}}" reaches from {{from}} into {{to}}: import the package by its name (e.g. @temper/edge/attacks) instead.',
    },
  },
  create(context) {
    const from = owner(context.filename);
    if (from === null) return {};
    /** @param {import('estree').Node | null | undefined} source */
    function check(source) {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const specifier = source.value;
      if (!specifier.startsWith('.') && !specifier.startsWith('/')) return;
      const to = owner(resolve(dirname(context.filename), specifier));
      if (to === null || to === from) return;
      context.report({ node: source, messageId: 'crossPackage', data: { specifier, from: name(from), to: name(to) } });
    }
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};
