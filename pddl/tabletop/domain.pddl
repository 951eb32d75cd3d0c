; Tabletop manipulation with one arm and a parallel gripper.
; Blocks rest on the table, on another block, or in a region (tray, bin,
; table zone). A region holds any number of blocks; a block inside a region
; may carry a stack of its own. Plain typed STRIPS: Fast Downward, pyperplan
; and VAL read it unchanged.
(define (domain tabletop)
  (:requirements :strips :typing)
  (:types block region - object)
  (:predicates
    (on ?x - block ?y - block)
    (on-table ?x - block)
    (in ?x - block ?r - region)
    (clear ?x - block)
    (holding ?x - block)
    (handempty))

  (:action pick-from-table
    :parameters (?x - block)
    :precondition (and (clear ?x) (on-table ?x) (handempty))
    :effect (and (holding ?x) (not (on-table ?x)) (not (clear ?x)) (not (handempty))))

  (:action pick-from-block
    :parameters (?x - block ?y - block)
    :precondition (and (clear ?x) (on ?x ?y) (handempty))
    :effect (and (holding ?x) (clear ?y) (not (on ?x ?y)) (not (clear ?x)) (not (handempty))))

  (:action pick-from-region
    :parameters (?x - block ?r - region)
    :precondition (and (clear ?x) (in ?x ?r) (handempty))
    :effect (and (holding ?x) (not (in ?x ?r)) (not (clear ?x)) (not (handempty))))

  (:action place-on-table
    :parameters (?x - block)
    :precondition (holding ?x)
    :effect (and (on-table ?x) (clear ?x) (handempty) (not (holding ?x))))

  (:action place-on-block
    :parameters (?x - block ?y - block)
    :precondition (and (holding ?x) (clear ?y))
    :effect (and (on ?x ?y) (clear ?x) (handempty) (not (holding ?x)) (not (clear ?y))))

  (:action place-in-region
    :parameters (?x - block ?r - region)
    :precondition (holding ?x)
    :effect (and (in ?x ?r) (clear ?x) (handempty) (not (holding ?x)))))
