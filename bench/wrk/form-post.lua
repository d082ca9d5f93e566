-- POST an application/x-www-form-urlencoded body with HTTP Basic client authentication.
-- One script for every POST scenario (client_credentials, password, introspection) on both servers:
-- run.sh sets what differs between Ostiary and Keycloak (path, client, body) in the environment.
--   BENCH_PATH  e.g. /oauth2/token
--   BENCH_BASIC base64("client_id:secret")
--   BENCH_BODY  e.g. grant_type=client_credentials&scope=read
--   BENCH_CLOSE =1: "Connection: close" on every request, so each one opens a new connection (and a
--               new TLS handshake on https: wrk keeps no TLS session to resume)
wrk.method = "POST"
wrk.path   = os.getenv("BENCH_PATH")
wrk.headers["Content-Type"]  = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("BENCH_BASIC")
wrk.body   = os.getenv("BENCH_BODY")
if os.getenv("BENCH_CLOSE") == "1" then wrk.headers["Connection"] = "close" end

dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
