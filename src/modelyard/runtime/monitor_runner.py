"""``python -m modelyard.runtime.monitor_runner``: the process of a monitor run."""

from modelyard.runtime._monitor import main

if __name__ == "__main__":
    main()
