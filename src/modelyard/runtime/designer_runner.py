"""``python -m modelyard.runtime.designer_runner``: the process of one step of a submitted Designer draft."""

from modelyard.runtime._designer_step import main

if __name__ == "__main__":
    main()
