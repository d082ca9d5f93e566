-- GET BENCH_PATH (the JWKS document: /oauth2/jwks on Ostiary, .../protocol/openid-connect/certs on Keycloak).
wrk.method = "GET"
wrk.path   = os.getenv("BENCH_PATH")

dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
