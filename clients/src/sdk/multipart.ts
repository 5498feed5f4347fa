/** A file to upload: its data and the file name the server should see. */
export interface NamedBlob {
  readonly name: string;
  readonly data: Blob;
}

/** A File (browser, Node 20+) or a named Blob. */
export type UploadFile = NamedBlob | File;

export function toNamedBlob(file: UploadFile): NamedBlob {
  return 'data' in file ? file : { name: file.name, data: file };
}

/**
 * A GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec) as
 * FormData: `files` maps a variable path ("input.modelJson", "input.weights.0") to a file, and the
 * variable at that path is sent as null. FormData and Blob exist in browsers and Node alike.
 */
export function multipartForm(query: string, variables: Record<string, unknown>, files: Readonly<Record<string, UploadFile>>): FormData {
  const vars = structuredClone(variables);
  const map: Record<string, string[]> = {};
  const entries = Object.entries(files);
  entries.forEach(([path, _file], i) => {
    map[String(i)] = [`variables.${path}`];
    setPath(vars, path.split('.'), null);
  });
  const form = new FormData();
  form.append('operations', JSON.stringify({ query, variables: vars }));
  form.append('map', JSON.stringify(map));
  entries.forEach(([, file], i) => {
    const f = toNamedBlob(file);
    form.append(String(i), f.data, f.name);
  });
  return form;
}

function setPath(root: Record<string, unknown>, parts: readonly string[], value: unknown): void {
  let node: Record<string, unknown> | unknown[] = root;
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    const key = Array.isArray(node) ? Number(part) : part;
    const container = node as Record<string | number, unknown>;
    if (last) {
      container[key] = value;
      return;
    }
    if (container[key] === undefined || container[key] === null) container[key] = /^\d+$/.test(parts[i + 1]) ? [] : {};
    node = container[key] as Record<string, unknown> | unknown[];
  });
}
