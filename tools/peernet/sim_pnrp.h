/* `peernet sim pnrp` (cmd_sim_pnrp.c), reached from `peernet sim`. */
#ifndef PN_SIM_PNRP_H
#define PN_SIM_PNRP_H

/* argv[0] is "sim", argv[1] "pnrp"; returns the exit status. */
int pn_sim_pnrp_main(int argc, char **argv);

#endif
