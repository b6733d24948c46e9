package io.xasstream.inference.predict;

import io.xasstream.common.records.ModelTasks;
import io.xasstream.core.preprocess.PreprocessedSpectrum;
import io.xasstream.inference.model.LoadedModel;
import io.xasstream.inference.model.ModelManifest;
import io.xasstream.inference.model.ModelOutput;
import io.xasstream.schema.common.AbsorptionEdge;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.result.ModelRef;
import io.xasstream.schema.result.Timings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One spectrum's {@link InferenceResult} from the answers of its models: {@link Routing} picks the model that
 * answers each task, {@link TaskAnswers} writes each estimate with its verdict, {@link OodSummary} gathers the OOD
 * scores, and the quality flags and provenance (models, preprocessing) are added.
 */
final class ResultAssembler {
    private ResultAssembler() {
    }

    static InferenceResult assemble(Row row, Map<LoadedModel, ModelAnswer> answers, Instant inferredAt) {
        SpectrumInput in = row.input();
        InferenceResult.Builder b = InferenceResult.newBuilder()
                .setSpectrumId(in.spectrumId()).setKey(in.key()).setSource(in.source()).setXfel(in.xfel())
                .setElement(in.element()).setEdge(edge(in.edge()))
                .setConditions(in.conditions() == null ? Map.of() : new LinkedHashMap<>(in.conditions()))
                .setTimings(Timings.newBuilder().setAcquiredAt(in.acquiredAt()).setReceivedAt(in.receivedAt())
                        .setInferredAt(inferredAt).build());
        List<ModelRef> refs = new ArrayList<>();
        List<String> flags = new ArrayList<>(row.skipped());
        OodSummary ood = new OodSummary();
        PreprocessedSpectrum provenance = null;
        boolean edgePositionRead = false;
        for (LoadedModel model : answering(row, answers)) {
            ModelManifest.Entry entry = model.entry();
            ModelAnswer o = answers.get(model);
            refs.add(ModelRef.newBuilder().setTask(entry.task()).setId(entry.id()).setVersion(entry.version())
                    .setSha256(entry.sha256()).build());
            if (provenance == null || ModelTasks.PDF.equals(entry.task())) {
                provenance = row.byModel().get(model);
            }
            boolean scored = o.has(ModelOutput.OOD_SCORE) && entry.ood() != null;
            double score = scored ? o.scalar(ModelOutput.OOD_SCORE) : Double.NaN;
            boolean flagged = scored && score > entry.ood().threshold();
            if (!TaskAnswers.write(b, entry, o, flagged)) {
                flags.add("UNKNOWN_TASK_" + entry.task().toUpperCase(Locale.ROOT));
            }
            edgePositionRead |= model.takesEdgeShift() && EdgeShiftRows.known(row.byModel().get(model));
            if (scored) {
                ood.add(entry.task(), score, entry.ood().threshold(), flagged);
            }
        }
        b.setOod(ood.overall(flags)).setOodByTask(ood.byTask());
        if (provenance.calibratedByReference()) {
            flags.add("CALIBRATED_BY_REFERENCE");
            if (edgePositionRead) {
                flags.add("EDGE_POSITION_USED");
            }
        }
        return b.setModels(refs).setQualityFlags(flags).setPreprocessing(PreprocessingRecords.of(provenance, in))
                .build();
    }

    /** The model that answers each task for this spectrum (several may serve one task). */
    private static Iterable<LoadedModel> answering(Row row, Map<LoadedModel, ModelAnswer> answers) {
        List<Routing.Candidate<LoadedModel>> bids = new ArrayList<>(row.byModel().size());
        for (LoadedModel m : row.byModel().keySet()) {
            ModelAnswer a = answers.get(m);
            bids.add(new Routing.Candidate<>(m, m.entry(), a.has(ModelOutput.OOD_SCORE)
                    ? a.scalar(ModelOutput.OOD_SCORE) : Double.NaN));
        }
        return Routing.answering(bids).values();
    }

    private static AbsorptionEdge edge(String edge) {
        try {
            return AbsorptionEdge.valueOf(edge.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            return AbsorptionEdge.UNKNOWN;
        }
    }
}
