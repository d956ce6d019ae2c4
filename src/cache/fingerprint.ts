// A text that stands for a definition's data, for keys of things computed from it: two values
// with the same text hold the same data in the same order, so a pure function of that data
// (a compiler) gives the same result for both. Only plain data has a text: a value holding a
// function, a symbol, a class instance or a cycle has none, since what the function returns or
// the class's methods read cannot be seen from outside. A function of monforge's own marked
// with the data it reads (model/reads-only.ts) is that data and the function's code.
import { functionReads } from '../model/reads-only.ts';

/** Beyond this many characters a value is not worth keying (and a pathological DAG would not end). */
const maxLength = 16 * 1024 * 1024;

/** The value's text, or undefined when it is not plain data (see above). */
export function fingerprint(value: unknown): string | undefined {
  const parts: string[] = [];
  let length = 0;
  const open = new Set<object>();
  const put = (part: string): boolean => {
    parts.push(part);
    length += part.length;
    return length <= maxLength;
  };
  const walk = (item: unknown): boolean => {
    switch (typeof item) {
      case 'string':
        return put(JSON.stringify(item));
      // -0, NaN and Infinity each keep their own spelling; a number never reads like a string.
      case 'number':
        return put(Object.is(item, -0) ? '-0' : String(item));
      case 'boolean':
        return put(item ? 'T' : 'F');
      case 'undefined':
        return put('U');
      case 'bigint':
        return put(`${item}n`);
      case 'object': {
        if (item === null) return put('N');
        if (open.has(item)) return false;
        const prototype = Object.getPrototypeOf(item);
        const isArray = Array.isArray(item) && prototype === Array.prototype;
        if (!isArray && prototype !== Object.prototype && prototype !== null) return false;
        open.add(item);
        let plain = put(isArray ? '[' : '{');
        if (isArray) for (let index = 0; plain && index < item.length; index += 1) plain = walk(item[index]) && put(',');
        // Keys in their own order, as the compilers iterate them; a key whose value is undefined is kept (`'x' in o`).
        else
          for (const key of Object.keys(item))
            if (plain) plain = put(JSON.stringify(key)) && walk((item as Record<string, unknown>)[key]) && put(',');
        open.delete(item);
        return plain && put(isArray ? ']' : '}');
      }
      case 'function': {
        const reads = (item as { [functionReads]?: unknown })[functionReads];
        return reads !== undefined && put(`F${JSON.stringify(item.toString())}`) && walk(reads);
      }
      default:
        return false; // a symbol
    }
  };
  return walk(value) ? parts.join('') : undefined;
}
