-- wrk script: requests the paths listed in the file named by PATHS (one
-- per line), each thread walking the list from its own offset, so that a
-- run touches many distinct pages (filling the page cache) rather than one.
local file = os.getenv("PATHS")
threads = 0
tid = 0
local paths = {}
local i = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  for line in io.lines(file) do
    paths[#paths + 1] = line
  end
  i = ((tid - 1) * 7919) % #paths
end

-- Like a browser: a page stored on a miss is compressed for readers who
-- accept it, and that cost belongs in the figure.
local headers = { ["Accept-Encoding"] = "gzip, br" }

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], headers)
end
