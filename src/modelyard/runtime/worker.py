"""``python -m modelyard.runtime.worker``: one compute instance."""

from modelyard.runtime._worker import main

if __name__ == "__main__":
    main()
