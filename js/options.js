// The options objects apps pass, as JSON text for the wasm to read field by field
// (src/core/options.rs): one call instead of one per field and type check.
//
// JSON has no form for functions, symbols, BigInt, NaN or ±Infinity: each becomes [null], a
// value no option accepts, so it is refused by name instead of silently vanishing. `skip` is a
// top-level member left out (loginRedirect's appState: the app's own value, stringified apart).
// `undefined` stays undefined (no options); a value with no JSON text at all (a cycle, a
// throwing toJSON) becomes '', which is not JSON and is refused.
export function optionsJson(value, skip) {
  if (value === undefined) return undefined;
  try {
    return JSON.stringify(value, function (key, v) {
      if (this === value && key === skip) return undefined;
      const type = typeof v;
      const bad = type === 'function' || type === 'symbol' || type === 'bigint' || (type === 'number' && !isFinite(v));
      return bad ? [null] : v;
    });
  } catch {
    return '';
  }
}
