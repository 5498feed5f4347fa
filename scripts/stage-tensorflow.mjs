#!/usr/bin/env node
// Stages libtensorflow from a TensorFlow Python wheel into @tensorflow/tfjs-node-gpu and builds its
// native binding, so that the `tensorflow` compute backend works without the package's own download
// (libtensorflow 2.9.1 from storage.googleapis.com, unreachable on many machines and too old for CUDA 12).
//
// Runs as the root package's postinstall. It must never fail `npm ci`: every problem ends in one line
// saying why, and Temper then runs on wasm. Plain Node (no tsx) because it runs before anything is built.
//
//   TEMPER_TF_WHEEL   a .whl path or a pip requirement (default tensorflow-cpu==2.21.0);
//                     `tensorflow[and-cuda]==2.21.0` on GPU servers; `none` skips staging.
//   TEMPER_TF_CACHE   where staged libraries are kept (default ${XDG_CACHE_HOME:-~/.cache}/temper/libtensorflow)
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync, copyFileSync, lstatSync, readlinkSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEFAULT_WHEEL = 'tensorflow-cpu==2.21.0';
const PKG_NAME = '@tensorflow/tfjs-node-gpu';
// tfjs-node 4.22's install script and binding look for these exact names.
const LIB_ALIASES = { 'libtensorflow.so': 'libtensorflow_cc.so.2', 'libtensorflow.so.2': 'libtensorflow_cc.so.2', 'libtensorflow.so.2.9.1': 'libtensorflow_cc.so.2', 'libtensorflow_framework.so': 'libtensorflow_framework.so.2', 'libtensorflow_framework.so.2.9.1': 'libtensorflow_framework.so.2' };
// The C API headers the binding includes, and what they include in turn (TF 2.1x-2.2x layout).
const HEADER_PREFIXES = ['tensorflow/include/tensorflow/c/', 'tensorflow/include/tensorflow/core/platform/ctstring', 'tensorflow/include/tsl/platform/ctstring', 'tensorflow/include/xla/tsl/c/', 'tensorflow/include/tsl/c/'];
const STAMP = '.temper-staged.json';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();

class Fallback extends Error {}

function say(line) {
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`[temper] tensorflow backend: ${line} (${secs} s)`);
}

function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, cmd);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      // not in this PATH entry
    }
  }
  return undefined;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error) return { ok: false, out: String(r.error.message) };
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  return { ok: r.status === 0, out };
}

function lastLine(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.findLast((l) => /error/i.test(l)) ?? lines.at(-1) ?? '').slice(0, 240);
}

function sha256File(path) {
  return new Promise((ok, fail) => {
    const h = createHash('sha256');
    createReadStream(path).on('data', (d) => h.update(d)).on('end', () => ok(h.digest('hex'))).on('error', fail);
  });
}

function cacheRoot() {
  if (process.env.TEMPER_TF_CACHE) return resolve(process.env.TEMPER_TF_CACHE);
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'temper', 'libtensorflow');
}

function findPackage() {
  // The optional dependency is hoisted to the root by npm; a workspace-local copy is possible too.
  for (const dir of [join(root, 'node_modules', PKG_NAME), join(root, 'server', 'node_modules', PKG_NAME)]) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return undefined;
}

function napiVersion(pkgDir) {
  const supported = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).binary.napi_versions;
  const node = Number(process.versions.napi);
  return Math.max(...supported.filter((v) => v <= node));
}

/** Loads the binding in a child process (a crash there must not end this script) and returns TF_Version. */
function probeBinding(bindingPath) {
  if (!existsSync(bindingPath)) return undefined;
  const r = spawnSync(process.execPath, ['-e', `process.stdout.write('TF_VERSION=' + require(${JSON.stringify(bindingPath)}).TF_Version)`], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
  return r.status === 0 ? /TF_VERSION=(\S+)/.exec(r.stdout ?? '')?.[1] : undefined;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function pipCommand() {
  const python = which('python3') ?? which('python');
  if (!python) throw new Fallback('python3 is not on PATH, so no TensorFlow wheel can be fetched');
  const r = run(python, ['-m', 'pip', '--version']);
  if (!r.ok) throw new Fallback(`${basename(python)} has no pip (${lastLine(r.out)})`);
  return python;
}

/** Returns the wheel files the requirement resolves to: TensorFlow's, plus NVIDIA's CUDA wheels for [and-cuda]. */
function downloadWheels(spec, cache) {
  const python = pipCommand();
  const dir = join(cache, 'downloads', createHash('sha256').update(spec).digest('hex').slice(0, 16));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // Extras such as [and-cuda] are CUDA libraries shipped as separate wheels: those need the dependencies.
  const withDeps = /\[.*\]/.test(spec);
  const args = ['-m', 'pip', 'download', '--only-binary=:all:', '--retries', '0', '--progress-bar', 'off', '-q', '-d', dir, ...(withDeps ? [] : ['--no-deps']), spec];
  const r = run(python, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (!r.ok) throw new Fallback(`pip could not download ${spec} (${lastLine(r.out)})`);
  return readdirSync(dir).filter((f) => f.endsWith('.whl')).map((f) => join(dir, f));
}

function isTensorflowWheel(file) {
  return /^(tensorflow|tensorflow_cpu|tensorflow_gpu|tf_nightly[a-z_]*)-\d/.test(basename(file));
}

/** Unpacks the selected members of a wheel with Python's zipfile (present wherever pip is; unzip may not be). */
function extract(python, wheel, dest, selector) {
  const code = `
import sys, zipfile, os, json
wheel, dest, sel = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
n = 0
with zipfile.ZipFile(wheel) as z:
    for m in z.infolist():
        name = m.filename
        if name.endswith('/'):
            continue
        target = None
        for kind, pattern, out in sel:
            if kind == 'exact' and name == pattern: target = out
            elif kind == 'prefix' and name.startswith(pattern): target = out + name[len(pattern):]
            if target: break
        if not target: continue
        path = os.path.join(dest, target)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with z.open(m) as src, open(path, 'wb') as dst:
            while True:
                b = src.read(1 << 20)
                if not b: break
                dst.write(b)
        n += 1
print(n)
`;
  const r = run(python, ['-c', code, wheel, dest, JSON.stringify(selector)]);
  if (!r.ok) throw new Fallback(`could not unpack ${basename(wheel)} (${lastLine(r.out)})`);
  return Number(r.out.trim());
}

/** Builds cache/<key>/deps from the wheels; a half-written one never survives (temp dir + rename). */
function stageDeps(wheels, key, cache) {
  const final = join(cache, key, 'deps');
  if (existsSync(join(final, STAMP))) return { deps: final, cached: true };
  const python = which('python3') ?? which('python');
  if (!python) throw new Fallback('python3 is not on PATH, so the wheel cannot be unpacked');
  const tmp = join(cache, key, `deps.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'lib'), { recursive: true });
  const tfWheel = wheels.find(isTensorflowWheel);
  const sel = [
    ['exact', 'tensorflow/libtensorflow_cc.so.2', 'lib/libtensorflow_cc.so.2'],
    ['exact', 'tensorflow/libtensorflow_framework.so.2', 'lib/libtensorflow_framework.so.2'],
    ...HEADER_PREFIXES.map((p) => ['prefix', p, `include/${p.slice('tensorflow/include/'.length)}`]),
  ];
  extract(python, tfWheel, tmp, sel);
  for (const lib of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
    if (!existsSync(join(tmp, 'lib', lib))) throw new Fallback(`${basename(tfWheel)} has no ${lib} (not a TensorFlow 2.x Linux wheel?)`);
  }
  // CUDA wheels (nvidia-cublas-cu12, ...) keep their libraries in nvidia/<name>/lib/, a sibling of
  // tensorflow/ in site-packages, and TensorFlow's RUNPATH points there ($ORIGIN/../nvidia/...): the same
  // layout under deps/ keeps those paths valid. TensorFlow also dlopens some by soname from $ORIGIN,
  // so lib/ gets a link to each.
  let cudaLibs = 0;
  for (const w of wheels.filter((f) => /^nvidia_/.test(basename(f)))) cudaLibs += extract(python, w, tmp, [['prefix', 'nvidia/', 'nvidia/']]);
  if (cudaLibs > 0) {
    for (const pkg of readdirSync(join(tmp, 'nvidia'))) {
      const dir = join(tmp, 'nvidia', pkg, 'lib');
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir)) if (/\.so(\.|$)/.test(f) && !existsSync(join(tmp, 'lib', f))) symlinkSync(join('..', 'nvidia', pkg, 'lib', f), join(tmp, 'lib', f));
    }
  }
  for (const [alias, target] of Object.entries(LIB_ALIASES)) symlinkSync(target, join(tmp, 'lib', alias));
  // Debug symbols are most of the size; stripping takes ~25 s and saves several hundred MB per copy.
  const strip = which('strip');
  if (strip) for (const lib of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) run(strip, ['--strip-unneeded', join(tmp, 'lib', lib)]);
  writeFileSync(join(tmp, STAMP), JSON.stringify({ key, wheels: wheels.map((w) => basename(w)), cudaLibs, stripped: Boolean(strip) }, null, 2));
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  return { deps: final, cached: false };
}

function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(dirname(process.execPath)), 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) throw new Fallback('node-gyp (shipped with npm) was not found, so the binding cannot be built');
  return found;
}

function nodeDir() {
  // Node's own headers are installed with it; without nodedir node-gyp tries to download them.
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

/** Builds tfjs_binding.node against the staged deps; the result is cached beside the deps. */
function buildBinding(pkgDir, napi, key, cache) {
  const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
  const cached = join(cache, key, 'binding', `tfjs-node-${version}-napi-v${napi}-${process.arch}`, 'tfjs_binding.node');
  const dest = join(pkgDir, 'lib', `napi-v${napi}`, 'tfjs_binding.node');
  mkdirSync(dirname(dest), { recursive: true });
  if (existsSync(cached)) {
    copyFileSync(cached, dest);
    return { built: false };
  }
  for (const tool of ['make', 'g++']) if (!which(tool)) throw new Fallback(`${tool} is not on PATH, so the binding cannot be compiled`);
  const dir = nodeDir();
  const args = [nodeGyp(), 'rebuild', '--loglevel=error', `--jobs=${Math.max(1, Math.min(4, availableParallelism()))}`,
    '--module_name=tfjs_binding', `--module_path=${dirname(dest)}`, `--napi_build_version=${napi}`, ...(dir ? [`--nodedir=${dir}`] : [])];
  const r = run(process.execPath, args, { cwd: pkgDir, env: { ...process.env, ...(dir ? { npm_config_nodedir: dir } : {}) } });
  if (!r.ok || !existsSync(dest)) throw new Fallback(`the binding did not compile (${lastLine(r.out)})`);
  mkdirSync(dirname(cached), { recursive: true });
  copyFileSync(dest, `${cached}.tmp`);
  renameSync(`${cached}.tmp`, cached);
  rmSync(join(pkgDir, 'build'), { recursive: true, force: true });
  return { built: true };
}

function linkDeps(pkgDir, deps) {
  const link = join(pkgDir, 'deps');
  try {
    const st = lstatSync(link);
    if (st.isSymbolicLink() && readlinkSync(link) === deps) return;
    rmSync(link, { recursive: true, force: true });
  } catch {
    // no link yet: create it below
  }
  // The binding finds libtensorflow through its rpath $ORIGIN/../../deps/lib, which follows this link.
  symlinkSync(deps, link, 'dir');
}

async function resolveWheels(spec, cache) {
  const asPath = resolve(spec);
  if (spec.endsWith('.whl') || existsSync(asPath)) {
    if (!existsSync(asPath)) throw new Fallback(`TEMPER_TF_WHEEL=${spec} does not exist`);
    return { wheels: [asPath], key: await sha256File(asPath) };
  }
  // An exact pin already staged needs no pip at all: that is what makes a second `npm ci` take seconds.
  const pinFile = join(cache, 'requirements', `${createHash('sha256').update(spec).digest('hex').slice(0, 32)}.json`);
  const pinned = /==/.test(spec) ? readJson(pinFile) : undefined;
  if (pinned && existsSync(join(cache, pinned.key, 'deps', STAMP))) return { wheels: pinned.wheels, key: pinned.key, fromPin: true };
  const wheels = downloadWheels(spec, cache);
  const tf = wheels.find(isTensorflowWheel);
  if (!tf) throw new Fallback(`${spec} resolved to no TensorFlow wheel (${wheels.map((w) => basename(w)).join(', ') || 'nothing'})`);
  const hashes = await Promise.all(wheels.filter((w) => w === tf || /^nvidia_/.test(basename(w))).sort().map(sha256File));
  const key = hashes.length === 1 ? hashes[0] : createHash('sha256').update(hashes.join('\n')).digest('hex');
  mkdirSync(dirname(pinFile), { recursive: true });
  writeFileSync(pinFile, JSON.stringify({ spec, key, wheels }, null, 2));
  return { wheels, key };
}

async function main() {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Fallback(`staging supports linux-x64 only (this is ${process.platform}-${process.arch})`);
  const spec = (process.env.TEMPER_TF_WHEEL ?? '').trim() || DEFAULT_WHEEL;
  if (/^(none|off|false|0)$/i.test(spec)) throw new Fallback(`TEMPER_TF_WHEEL=${spec} turns staging off`);
  const pkgDir = findPackage();
  if (!pkgDir) throw new Fallback(`${PKG_NAME} is not installed (optional dependency skipped by npm)`);
  const napi = napiVersion(pkgDir);
  const bindingPath = join(pkgDir, 'lib', `napi-v${napi}`, 'tfjs_binding.node');
  const stamp = readJson(join(pkgDir, 'lib', STAMP));
  if (stamp?.spec === spec) {
    const version = probeBinding(bindingPath);
    if (version) return say(`ready, libtensorflow ${version} from ${spec} (already staged)`);
  }
  const cache = cacheRoot();
  mkdirSync(cache, { recursive: true });
  const { wheels, key, fromPin } = await resolveWheels(spec, cache);
  const { deps, cached } = stageDeps(wheels, key, cache);
  // The wheels are no longer needed once unpacked; the pin file leads a later install to the deps.
  if (!fromPin) rmSync(join(cache, 'downloads'), { recursive: true, force: true });
  linkDeps(pkgDir, deps);
  const { built } = buildBinding(pkgDir, napi, key, cache);
  const version = probeBinding(bindingPath);
  if (!version) {
    rmSync(bindingPath, { force: true });
    throw new Fallback(`the built binding does not load against ${deps}`);
  }
  writeFileSync(join(pkgDir, 'lib', STAMP), JSON.stringify({ spec, key, deps, version }, null, 2));
  const how = [fromPin || cached ? 'cached libraries' : 'staged from the wheel', built ? 'binding compiled' : 'cached binding'].join(', ');
  say(`ready, libtensorflow ${version} from ${spec} (${how}; ${deps})`);
}

try {
  await main();
} catch (e) {
  const why = e instanceof Fallback ? e.message : `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
  say(`not staged, ${why}; Temper will use wasm`);
} finally {
  // Leftover temp dirs from an interrupted run are harmless; the install itself never fails here.
  process.exitCode = 0;
}
