// The page's state in its URL hash, written as URL search params:
//   #code=<base64url of the UTF-8 source, padding optional>
//   #dataset=moons&layers=8,8&activation=tanh&lr=0.1&points=200&seed=0
// Code from a link is only put in the editor: it runs when the user clicks Run.

export function readLink(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const link = { code: null, fields: {}, problem: "" };
  for (const [name, value] of params) {
    if (name !== "code") link.fields[name] = value;
  }
  if (params.has("code")) {
    try {
      link.code = fromBase64url(params.get("code"));
    } catch {
      link.problem = "The link's code is not base64url of UTF-8 text, so it was left out.";
    }
  }
  return link;
}

export function writeLink(code, fields) {
  const params = new URLSearchParams({ code: toBase64url(code), ...fields });
  return `#${params}`;
}

function toBase64url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text) {
  const base64 = text.replaceAll("-", "+").replaceAll("_", "/");
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "="));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}
