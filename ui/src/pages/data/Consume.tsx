import { useDataFiles, type DataAsset } from "../../api/data";
import { CodeBlock } from "../../components/CodeBlock";
import { ErrorMessage } from "../../components/Status";
import { cliSnippet, pythonSnippet, rSnippet } from "./snippets";

export function Consume({ asset }: { asset: DataAsset }) {
  const files = useDataFiles(asset.name, String(asset.version));
  return (
    <div className="consume">
      <CodeBlock label="Python" code={pythonSnippet(asset)} />
      <CodeBlock label="CLI" code={cliSnippet(asset)} />
      <ErrorMessage error={files.error} />
      {files.data && <CodeBlock label="R" code={rSnippet(asset, files.data, window.location.origin)} />}
    </div>
  );
}
