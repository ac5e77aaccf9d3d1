-- Posts the same body on every request. Body, content type and cookie come from the environment.
dofile("scripts/wrk/tally.lua")

wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE")
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then wrk.headers["Cookie"] = cookie end

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   ok = 0
   other = 0
end
