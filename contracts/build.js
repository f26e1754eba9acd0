// Compiles the Solidity sources with the solc version pinned in package.json
// and writes the artifacts committed under build/:
//   build/<Contract>.abi.json, build/<Contract>.bin  — one pair per contract
//   build/combined.json       — src/ contracts, input of the chain/contracts bindings
//   build/test-combined.json  — test/ contracts (attack tokens), for chain tests only
// With --check it writes nothing and exits 1 if a committed artifact differs
// from a fresh compile (CI runs this).
'use strict';

const fs = require('fs');
const path = require('path');
const solc = require('solc');

const root = __dirname;
const buildDir = path.join(root, 'build');
const check = process.argv.includes('--check');

function sources(dir) {
  return fs.readdirSync(path.join(root, dir))
    .filter((f) => f.endsWith('.sol'))
    .sort()
    .map((f) => `${dir}/${f}`);
}

function compile(files) {
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(files.map((f) => [f, { content: fs.readFileSync(path.join(root, f), 'utf8') }])),
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: 'cancun',
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const findImports = (p) => {
    const full = path.join(root, p);
    if (!fs.existsSync(full)) return { error: `import ${p} not found` };
    return { contents: fs.readFileSync(full, 'utf8') };
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const errors = (out.errors || []).filter((e) => e.severity === 'error');
  for (const e of out.errors || []) console.error(e.formattedMessage);
  if (errors.length > 0) {
    console.error(`solc ${solc.version()}: ${errors.length} error(s)`);
    process.exit(1);
  }
  return out.contracts;
}

function artifacts(contracts, only) {
  const files = {};
  const combined = { contracts: {}, version: solc.version() };
  for (const src of Object.keys(contracts).sort()) {
    if (!only(src)) continue;
    for (const name of Object.keys(contracts[src]).sort()) {
      const c = contracts[src][name];
      const bin = c.evm.bytecode.object;
      // Interfaces, abstract contracts and internal-only libraries.
      if (bin === '' || c.abi.every((e) => e.type === 'error')) continue;
      files[`${name}.abi.json`] = JSON.stringify(c.abi, null, 2) + '\n';
      files[`${name}.bin`] = bin + '\n';
      combined.contracts[`${src}:${name}`] = { abi: c.abi, bin };
    }
  }
  return { files, combined: JSON.stringify(combined, null, 1) + '\n' };
}

const contracts = compile([...sources('src'), ...sources('test')]);
const prod = artifacts(contracts, (src) => src.startsWith('src/'));
const test = artifacts(contracts, (src) => src.startsWith('test/'));
const want = { ...prod.files, ...test.files, 'combined.json': prod.combined, 'test-combined.json': test.combined };

if (check) {
  const stale = [];
  for (const [f, content] of Object.entries(want)) {
    const p = path.join(buildDir, f);
    if (!fs.existsSync(p) || fs.readFileSync(p, 'utf8') !== content) stale.push(f);
  }
  const extra = fs.existsSync(buildDir) ? fs.readdirSync(buildDir).filter((f) => !(f in want)) : [];
  if (stale.length + extra.length > 0) {
    console.error(`contracts/build is out of date (${[...stale, ...extra].join(', ')}): run 'make contracts' and commit the result`);
    process.exit(1);
  }
  console.log(`contracts/build matches solc ${solc.version()}`);
} else {
  fs.rmSync(buildDir, { recursive: true, force: true });
  fs.mkdirSync(buildDir);
  for (const [f, content] of Object.entries(want)) fs.writeFileSync(path.join(buildDir, f), content);
  console.log(`compiled ${Object.keys(want).length} artifacts with solc ${solc.version()}`);
}
