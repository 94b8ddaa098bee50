import { useMutation } from "@tanstack/react-query";
import { downloadFile } from "../../api/client";
import { outputFilePath, useOutputFiles, type Job } from "../../api/jobs";
import { ErrorMessage, Loading } from "../../components/Status";

/** Each named output's files, each with a download link. */
export function JobOutputs({ job }: { job: Job }) {
  const outputs = Object.keys(job.outputs ?? {});
  if (outputs.length === 0) return <p className="muted">This job has no outputs{job.status === "Completed" ? "" : " yet"}.</p>;
  return (
    <>
      {outputs.map((output) => (
        <OutputFiles key={output} job={job.name} output={output} />
      ))}
    </>
  );
}

function OutputFiles({ job, output }: { job: string; output: string }) {
  const files = useOutputFiles(job, output);
  const download = useMutation({ mutationFn: (file: string) => downloadFile(outputFilePath(job, output, file), file.split("/").at(-1) ?? file) });
  return (
    <section aria-label={`Output ${output}`}>
      <h2>{output}</h2>
      {files.isPending && <Loading />}
      <ErrorMessage error={files.error ?? download.error} />
      {files.data && files.data.length === 0 && <p className="muted">No files.</p>}
      {files.data && files.data.length > 0 && (
        <ul className="files">
          {files.data.map((file) => (
            <li key={file.name}>
              <a
                href={outputFilePath(job, output, file.name)}
                download
                onClick={(event) => {
                  event.preventDefault(); // fetched with the workspace token, which a plain link cannot send
                  download.mutate(file.name);
                }}
              >
                {file.name}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
