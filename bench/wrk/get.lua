-- GET the URL given on the command line, as a browser without cookies does.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
