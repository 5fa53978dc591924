// zarrita (an independent Zarr v3 implementation in JavaScript) against IOLink, driven by ZarritaTests.cs:
//   node zarrita.mjs read ARRAY    prints the array's shape, data type, chunk shape, codecs and values as JSON
//   node zarrita.mjs write FOLDER  writes arrays for IOLink to read (see below) and prints what they hold
// Node resolves zarrita from the NODE_PATH the test sets (the npm folder ./build.sh installs it into).
import * as zarr from "zarrita";
import { FileSystemStore } from "@zarrita/storage";

const [mode, path] = process.argv.slice(2);

function plain(data) {
  // Typed arrays to JSON: 64-bit integers as strings, NaN and infinities as Zarr spells them.
  return Array.from(data, (v) => typeof v === "bigint" ? v.toString()
    : typeof v === "number" && !Number.isFinite(v) ? String(v) : v);
}

if (mode === "read") {
  const array = await zarr.open(new FileSystemStore(path), { kind: "array" });
  const chunk = await zarr.get(array);
  console.log(JSON.stringify({
    shape: array.shape, dtype: array.dtype, chunks: array.chunks,
    codecs: array.codecs?.map((c) => c.name) ?? null,
    data: plain(chunk.data),
  }));
} else if (mode === "write") {
  const root = zarr.root(new FileSystemStore(path));
  const made = {};
  const specs = [
    // zarrita writes bytes, transpose, zstd and blosc (its gzip, zlib and crc32c decode only).
    { name: "u16", dtype: "uint16", shape: [9, 14, 23], chunks: [4, 8, 12], codecs: [{ name: "bytes", configuration: { endian: "little" } }, { name: "zstd", configuration: { level: 1, checksum: false } }] },
    { name: "f32-big-transposed", dtype: "float32", shape: [6, 10], chunks: [4, 4], fill: 0,
      codecs: [{ name: "transpose", configuration: { order: [1, 0] } }, { name: "bytes", configuration: { endian: "big" } }] },
    { name: "i64-zstd", dtype: "int64", shape: [5, 7], chunks: [2, 3], codecs: [{ name: "bytes", configuration: { endian: "little" } }, { name: "zstd", configuration: { level: 3, checksum: false } }] },
    { name: "u8-blosc-flat", dtype: "uint8", shape: [12, 12], chunks: [5, 5], separator: ".", codecs: [{ name: "bytes" }, { name: "blosc", configuration: { cname: "lz4", clevel: 5, shuffle: "bitshuffle", typesize: 1, blocksize: 0 } }] },
  ];
  for (const spec of specs) {
    const array = await zarr.create(root.resolve(spec.name), {
      shape: spec.shape, chunkShape: spec.chunks, dtype: spec.dtype, codecs: spec.codecs,
      fillValue: spec.fill ?? 0, chunkSeparator: spec.separator ?? "/",
    });
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const values = spec.dtype === "int64" ? BigInt64Array.from({ length: n }, (_, i) => BigInt(i * 1000003 - 17) * 1000000n)
      : spec.dtype === "float32" ? Float32Array.from({ length: n }, (_, i) => i * 0.25 - 3)
      : spec.dtype === "uint16" ? Uint16Array.from({ length: n }, (_, i) => (i * 7919) % 65536)
      : Uint8Array.from({ length: n }, (_, i) => (i * 31) % 256);
    // The last row is left unwritten where the shape allows: its chunks stay missing and read as the fill value.
    const rows = spec.name === "f32-big-transposed" ? 4 : spec.shape[0];
    const written = values.slice(0, rows * (n / spec.shape[0]));
    const stride = [];
    let s = 1;
    for (let i = spec.shape.length - 1; i >= 0; i--) { stride.unshift(s); s *= spec.shape[i]; }
    await zarr.set(array, [zarr.slice(0, rows), ...spec.shape.slice(1).map(() => null)],
      { data: written, shape: [rows, ...spec.shape.slice(1)], stride });
    made[spec.name] = { shape: spec.shape, dtype: spec.dtype, rows, data: plain(written) };
  }
  console.log(JSON.stringify(made));
} else {
  console.error("usage: node zarrita.mjs read ARRAY | write FOLDER");
  process.exit(2);
}
