-- wrk script: sends the comment form like real readers, each request from
-- its own client address (X-Forwarded-For, honoured only because the server
-- runs with --trusted-proxies 127.0.0.1/32) with its own name and text, so
-- flood control and duplicate checks stay on. TOKEN and ARTICLE come from
-- the environment (bench/run fetches a form token first).
local token = os.getenv("TOKEN")
local path = os.getenv("ARTICLE")
local run = os.getenv("RUN") or tostring(os.time())
local counter = 0
-- Each thread's number, set by setup() as a global of that thread's own
-- Lua state (a local here would hide it).
threads = 0
tid = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function request()
  counter = counter + 1
  local id = run .. "-" .. tid .. "-" .. counter
  local ip = string.format("10.%d.%d.%d", tid, math.floor(counter / 256) % 256, counter % 256)
  local body = "name=Pembaca+" .. id ..
    "&email=pembaca" .. id .. "%40example.com" ..
    "&url=&body=Terima+kasih+atas+beritanya%2C+komentar+nomor+" .. id ..
    "&token=" .. token
  local headers = {}
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["X-Forwarded-For"] = ip
  return wrk.format("POST", path, headers, body)
end
