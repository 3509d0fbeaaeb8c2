// What each Wan2.2 model needs, in the two layouts people keep weights in: a diffusers folder (a
// Hugging Face snapshot of Wan-AI/<repo>, or `--local-dir`) and ComfyUI's single files.
// The diffusers layout mirrors the sidecar's weights.py (MODELS, component_problems), which stays the
// authority on whether a folder loads; this side only says where weights are and what is absent.

export type WanModelId = 't2v-a14b' | 'i2v-a14b' | 'ti2v-5b'

/** A diffusers component folder and what it must hold: the kinds of weights.py. */
export type ComponentKind = 'scheduler' | 'tokenizer' | 'transformers' | 'diffusers'

export interface DiffusersModelSpec {
  /** The Hugging Face repo under Wan-AI/, also the folder name in a models folder. */
  repoName: string
  components: Record<string, ComponentKind>
}

const TWO_EXPERT_COMPONENTS: Record<string, ComponentKind> = {
  scheduler: 'scheduler',
  tokenizer: 'tokenizer',
  text_encoder: 'transformers',
  transformer: 'diffusers',
  transformer_2: 'diffusers',
  vae: 'diffusers'
}

export const DIFFUSERS_MODELS: Record<WanModelId, DiffusersModelSpec> = {
  't2v-a14b': { repoName: 'Wan2.2-T2V-A14B-Diffusers', components: TWO_EXPERT_COMPONENTS },
  'i2v-a14b': { repoName: 'Wan2.2-I2V-A14B-Diffusers', components: TWO_EXPERT_COMPONENTS },
  'ti2v-5b': {
    repoName: 'Wan2.2-TI2V-5B-Diffusers',
    components: { scheduler: 'scheduler', tokenizer: 'tokenizer', text_encoder: 'transformers', transformer: 'diffusers', vae: 'diffusers' }
  }
}

/** Weight file stems per kind (weights.py WEIGHT_STEMS): one file, or an index naming shards. */
export const WEIGHT_STEMS: Partial<Record<ComponentKind, string>> = { diffusers: 'diffusion_pytorch_model', transformers: 'model' }

export type ComfyFolder = 'diffusion_models' | 'text_encoders' | 'vae'

export interface ComfyFileChoice {
  name: string
  /** False for files diffusers cannot load as they are (fp8 "scaled" weights carry per-tensor scales). */
  loadable: boolean
  /** Why a file that is not loadable is not, when it is not the fp8 "scaled" reason. */
  whyNot?: string
}

const FP8_SCALED = 'fp8 "scaled" weights need their per-tensor scales applied, which diffusers does not do'

/** Why a file diffusers can't load as it is can't be used. */
export function unusableReason(choice: ComfyFileChoice): string {
  return choice.whyNot ?? FP8_SCALED
}

export interface ComfyComponent {
  /** The diffusers component this file stands in for. */
  component: string
  folder: ComfyFolder
  /** Accepted names, best first. */
  files: ComfyFileChoice[]
}

// File names as Comfy-Org publishes them (Comfy-Org/Wan_2.2_ComfyUI_Repackaged and
// Comfy-Org/Wan_2.1_ComfyUI_repackaged, split_files/<folder>/; listed in ComfyUI's Wan2.2 tutorial,
// github.com/Comfy-Org/docs tutorials/video/wan/wan2_2.mdx).
const UMT5: ComfyComponent = {
  component: 'text_encoder',
  folder: 'text_encoders',
  files: [
    { name: 'umt5_xxl_fp16.safetensors', loadable: true },
    { name: 'umt5_xxl_fp8_e4m3fn_scaled.safetensors', loadable: false }
  ]
}

function expert(component: string, task: 't2v' | 'i2v', noise: 'high' | 'low'): ComfyComponent {
  return {
    component,
    folder: 'diffusion_models',
    files: [
      { name: `wan2.2_${task}_${noise}_noise_14B_fp16.safetensors`, loadable: true },
      { name: `wan2.2_${task}_${noise}_noise_14B_fp8_scaled.safetensors`, loadable: false }
    ]
  }
}

const WAN21_VAE: ComfyComponent = { component: 'vae', folder: 'vae', files: [{ name: 'wan_2.1_vae.safetensors', loadable: true }] }

/** The A14B models' first expert (transformer) is the high-noise one, as in the diffusers repos. */
export const COMFY_MODELS: Record<WanModelId, ComfyComponent[]> = {
  't2v-a14b': [expert('transformer', 't2v', 'high'), expert('transformer_2', 't2v', 'low'), UMT5, WAN21_VAE],
  'i2v-a14b': [expert('transformer', 'i2v', 'high'), expert('transformer_2', 'i2v', 'low'), UMT5, WAN21_VAE],
  'ti2v-5b': [
    { component: 'transformer', folder: 'diffusion_models', files: [{ name: 'wan2.2_ti2v_5B_fp16.safetensors', loadable: true }] },
    UMT5,
    {
      component: 'vae',
      folder: 'vae',
      files: [
        {
          name: 'wan2.2_vae.safetensors',
          loadable: false,
          // diffusers' convert_wan_vae_to_diffusers (single_file_utils.py) has only the Wan2.1 VAE's key map.
          whyNot: "diffusers 0.42.1 converts only the Wan2.1 VAE's single file, not the Wan2.2 VAE's"
        }
      ]
    }
  ]
}

/** ComfyUI's folder_paths also reads the older names: unet/ for diffusion models, clip/ for text encoders. */
export const COMFY_FOLDER_ALIASES: Record<ComfyFolder, string[]> = {
  diffusion_models: ['diffusion_models', 'unet'],
  text_encoders: ['text_encoders', 'clip'],
  vae: ['vae']
}

export const WAN_MODEL_IDS = Object.keys(DIFFUSERS_MODELS) as WanModelId[]
