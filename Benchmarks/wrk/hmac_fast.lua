-- HMAC-SHA256 through OpenSSL's libcrypto (LuaJIT FFI), which wrk already links: the pure-Lua signer in
-- hmac_sha256.lua tops out near 2,300 signatures/s on two cores, less than the server acknowledges, so a
-- benchmark signed with it measures the load generator. Falls back to the pure-Lua signer without FFI.
local pure = require("hmac_sha256")
local ok, ffi = pcall(require, "ffi")
if not ok then
  return { hmac_sha256_hex = pure.hmac_sha256_hex, implementation = "lua" }
end

ffi.cdef([[
typedef struct evp_md_st EVP_MD;
const EVP_MD *EVP_sha256(void);
unsigned char *HMAC(const EVP_MD *evp_md, const void *key, int key_len, const unsigned char *d, size_t n,
                    unsigned char *md, unsigned int *md_len);
]])

local loaded, crypto = pcall(ffi.load, "crypto")
if not loaded then
  loaded, crypto = pcall(ffi.load, "libcrypto.so.3")
end
if not loaded then
  return { hmac_sha256_hex = pure.hmac_sha256_hex, implementation = "lua" }
end

local digest = ffi.new("unsigned char[32]")
local length = ffi.new("unsigned int[1]")
local sha256 = crypto.EVP_sha256()

-- Two hex digits per byte value, built once: string.format per byte cost more than the HMAC itself.
local hex = {}
for byte = 0, 255 do
  hex[byte] = string.format("%02x", byte)
end
local out = {}

local function hmac_sha256_hex(key, message)
  crypto.HMAC(sha256, key, #key, message, #message, digest, length)
  for i = 0, 31 do
    out[i + 1] = hex[digest[i]]
  end
  return table.concat(out)
end

return { hmac_sha256_hex = hmac_sha256_hex, implementation = "libcrypto" }
