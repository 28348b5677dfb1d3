/** The prerendered public pages come in one copy per kind of deployment. */
export const FLAVOURS = ["standard", "demo"] as const;
export type Flavour = (typeof FLAVOURS)[number];

export const flavourParams = () => FLAVOURS.map((flavour) => ({ flavour }));
