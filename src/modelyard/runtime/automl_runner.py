"""``python -m modelyard.runtime.automl_runner``: the process of an Automated ML job."""

from modelyard.runtime._automl import main

if __name__ == "__main__":
    main()
