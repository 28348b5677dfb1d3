import { prepareTemplate } from "./database";

export default async function setup(): Promise<() => Promise<void>> {
  return prepareTemplate();
}
