"""The Python SDK: one REST client for every workspace operation."""

from modelyard.client._data import Data, DataOperations
from modelyard.client._datastores import DatastoreOperations
from modelyard.client._http import ApiClient
from modelyard.client._workspace import Workspace

__all__ = ["ApiClient", "Data", "DataOperations", "DatastoreOperations", "Workspace"]
