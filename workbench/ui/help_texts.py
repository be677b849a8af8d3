"""Plain-words help for every training control: what it does, and too much or too little.

Shown as the tooltip and in the form's help box when the field has focus.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def help_text(key: str) -> str:
    """The help text of a control, translated; an empty string for an unknown key."""
    translate = QCoreApplication.translate
    texts = {
        "name": translate("Help", "A name for this run. It goes into the report and file names."),
        "optimizer": translate(
            "Help",
            "How the weights move along the gradient. SGD takes the plain step; Momentum and "
            "Nesterov keep a running velocity; AdaGrad, RMSprop and Adam adapt the step for each "
            "weight; AdamW is Adam with weight decay kept apart from the gradient.",
        ),
        "lr": translate(
            "Help",
            "Learning rate: the size of each step. Too large and the loss jumps about or "
            "diverges to NaN; too small and learning crawls. Adam usually wants about 0.001, "
            "SGD about 0.01 to 0.1.",
        ),
        "momentum": translate(
            "Help",
            "Share of the previous step kept in the next one (0 to 0.99). It smooths the path "
            "and speeds it up along steady slopes; near 1 it overshoots.",
        ),
        "betas": translate(
            "Help",
            "Adam's memory of the gradient (beta 1) and of its square (beta 2). Defaults 0.9 "
            "and 0.999 suit almost everything; lower means a shorter memory and noisier steps.",
        ),
        "alpha": translate(
            "Help",
            "RMSprop's memory of the squared gradient (0.99 by default). Lower adapts faster "
            "and is noisier.",
        ),
        "eps": translate(
            "Help",
            "A tiny number added before dividing by the gradient's size, so the step never "
            "divides by zero. Rarely worth changing.",
        ),
        "weight_decay": translate(
            "Help",
            "L2 penalty: pulls every weight towards zero a little each step, against "
            "overfitting. 0 is off; 0.0001 to 0.01 is usual; too much and the model underfits.",
        ),
        "l1": translate(
            "Help",
            "L1 penalty: adds the sum of absolute weights (not biases or batch-norm scales) to "
            "the loss, pushing many weights to exactly zero. 0 is off; start near 0.0001.",
        ),
        "grad_clip": translate(
            "Help",
            "Largest allowed length (norm) of the gradient; longer ones are scaled down. It "
            "stops a single bad batch from throwing the weights far. 0 is off.",
        ),
        "augment_shift": translate(
            "Help",
            "Data augmentation: each training image is moved by up to this share of its side, "
            "anew every epoch, so the model learns that a digit's place does not change its "
            "class. Validation and test images stay as they are. Images only; 0 is off.",
        ),
        "augment_rotation": translate(
            "Help",
            "Data augmentation: each training image is turned by up to this many degrees "
            "either way. A little (5-15) helps with handwriting; a 6 turned 180 degrees is a "
            "9. 0 is off.",
        ),
        "augment_zoom": translate(
            "Help",
            "Data augmentation: each training image is scaled between 1 - zoom and 1 + zoom, "
            "for digits written smaller or larger. 0 is off.",
        ),
        "augment_shear": translate(
            "Help",
            "Data augmentation: each training image is slanted by up to this many degrees, "
            "like handwriting leaning left or right. Augmented data are harder to fit: the "
            "model may need more epochs. 0 is off.",
        ),
        "schedule": translate(
            "Help",
            "How the learning rate changes over the epochs: constant, step (cut by gamma every "
            "few epochs), exponential (times gamma every epoch), cosine (smoothly down to the "
            "minimum), one-cycle (up then down, per batch) or reduce on plateau (cut when "
            "validation loss stalls).",
        ),
        "warmup_epochs": translate(
            "Help",
            "Epochs spent rising linearly from a tenth of the learning rate to the full rate, "
            "which steadies the first steps of large or adaptive models. 0 is off.",
        ),
        "step_size": translate("Help", "Step schedule: epochs between two cuts."),
        "gamma": translate(
            "Help",
            "Factor the rate is multiplied by at each cut (step, plateau) or every epoch "
            "(exponential). 0.5 halves it; close to 1 barely changes it.",
        ),
        "schedule_patience": translate(
            "Help", "Reduce on plateau: epochs without a better validation loss before a cut."
        ),
        "min_lr": translate("Help", "The rate never goes below this (cosine, plateau)."),
        "epochs": translate(
            "Help",
            "Passes over the training data, at most. Too few underfits; too many overfits "
            "unless early stopping ends the run.",
        ),
        "batch_size": translate(
            "Help",
            "Samples per weight update. Small batches give noisy, cheap steps; large batches "
            "give smooth steps, use more memory and make fewer updates per epoch.",
        ),
        "device": translate(
            "Help", "Where training runs: the CPU, or a GPU when one is present (much faster)."
        ),
        "run_on": translate(
            "Help",
            "The computer that trains: this one, or a Ray cluster (a GPU node, say). A run on "
            "the cluster draws its curves here as it trains and is recorded here; the device "
            "above is then the cluster's.",
        ),
        "seed": translate(
            "Help",
            "Fixes the split, the initial weights and the batch order: the same seed gives the "
            "same run on the same device.",
        ),
        "deterministic": translate(
            "Help",
            "Ask PyTorch for exactly repeatable results even where that is slower (it matters "
            "on GPUs).",
        ),
        "early_stopping": translate(
            "Help",
            "End the run when the validation metric has stopped improving, before the model "
            "overfits.",
        ),
        "monitor": translate("Help", "The validation metric early stopping watches."),
        "mode": translate(
            "Help",
            "Whether smaller (min) or larger (max) is better; auto picks min for a loss and max "
            "for an accuracy.",
        ),
        "patience": translate(
            "Help",
            "Epochs without improvement before the run ends. Too small stops on noise; too "
            "large trains on into overfitting.",
        ),
        "min_delta": translate(
            "Help", "The smallest change that counts as an improvement; 0 counts any change."
        ),
        "restore_best": translate(
            "Help",
            "Test (and keep) the weights of the best validation epoch, however the run ends: "
            "early stop, last epoch or Stop.",
        ),
    }
    return texts.get(key, "")
