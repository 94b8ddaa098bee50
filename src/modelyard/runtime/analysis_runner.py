"""``python -m modelyard.runtime.analysis_runner``: the process of an explanation, fairness or error-analysis job."""

from modelyard.runtime._model_analysis import main

if __name__ == "__main__":
    main()
