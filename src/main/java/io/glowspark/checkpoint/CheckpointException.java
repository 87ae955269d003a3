package io.glowspark.checkpoint;

/** A checkpoint file that cannot be used: the message names the file and what is wrong with it. */
public class CheckpointException extends DamagedFileException {

    private final String problem;

    public CheckpointException(String file, String problem) {
        this(file, problem, null);
    }

    public CheckpointException(String file, String problem, Throwable cause) {
        super("Checkpoint " + file + ": " + problem, cause);
        this.problem = problem;
    }

    /** What is wrong, without the file's name. */
    public String problem() {
        return problem;
    }
}
