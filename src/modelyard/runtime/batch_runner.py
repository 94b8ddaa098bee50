"""``python -m modelyard.runtime.batch_runner``: the process of a batch scoring job."""

from modelyard.runtime._batch import main

if __name__ == "__main__":
    main()
